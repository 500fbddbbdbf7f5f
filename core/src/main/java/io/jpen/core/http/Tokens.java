package io.jpen.core.http;

/** RFC 9110 character classes for request lines and header fields. */
final class Tokens {
    private Tokens() {}

    static boolean tchar(byte b) {
        return tchar((char) (b & 0xff));
    }

    static boolean tchar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0 && c != 0;
    }

    static boolean token(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!tchar(s.charAt(i))) return false;
        return true;
    }

    /** Visible characters only (no spaces or controls): a request target. */
    static boolean visible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f) return false;
        }
        return true;
    }

    /** A field value may hold spaces, tabs and obs-text, but no other control characters. */
    static boolean fieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
        }
        return true;
    }
}

package io.jpen.core.api;

import io.jpen.core.model.Reasons;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * The API's JSON mapping. Field names are the record component names, so they stay stable as long as the
 * records do. The server reads requests strictly (unknown fields, wrong types and trailing garbage are errors);
 * clients read responses leniently, so a newer server may add fields without breaking an older console.
 */
public final class ApiJson {
    private static final ObjectMapper STRICT = strict();
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ApiJson() {}

    private static ObjectMapper strict() {
        JsonMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // "command": 5 must not silently become "5"
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /** For writing responses and for the server's own snapshot serialization. */
    public static ObjectMapper writer() {
        return LENIENT;
    }

    /** For clients (RemoteConsole, ApiClient) reading what a server sends. */
    public static ObjectMapper lenient() {
        return LENIENT;
    }

    /** Reads a request body; the exception's message names the problem in words an API user can act on. */
    public static <T> T readRequest(byte[] body, Class<T> type) {
        if (body.length == 0) throw new BadRequestException("the request needs a JSON body");
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) throw new BadRequestException("the request body must be a JSON object, not null");
            return value;
        } catch (IOException e) {
            throw new BadRequestException(whatIsWrong(e, type, "the request body"));
        }
    }

    /**
     * What is wrong with JSON that did not read as {@code type}, in words an API user or operator can act on ("field
     * 'weight' must be a whole number"), never Jackson's text with Java type names; {@code whole}: what the JSON was
     * ("the request body", "the snapshot").
     */
    public static String whatIsWrong(IOException e, Class<?> type, String whole) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + u.getPropertyName() + "'" + (known.isEmpty() ? "" : " (known fields: " + known + ")");
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null && v.getCause().getMessage() != null) {
            return v.getCause().getMessage();
        }
        if (e instanceof JsonParseException p) {
            return "malformed JSON at line " + p.getLocation().getLineNr() + " column " + p.getLocation().getColumnNr()
                    + ": " + p.getOriginalMessage();
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + path(f) + "': '" + f.getValue() + "' is not " + kind(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m) {
            String p = path(m);
            if (p.isEmpty()) return whole + " must be a JSON object (" + type.getSimpleName() + ")";
            return "field '" + p + "' must be " + kind(m.getTargetType());
        }
        if (e instanceof JsonProcessingException j) return "malformed JSON: " + j.getOriginalMessage();
        return "unreadable " + whole + ": " + Reasons.plain(e.getMessage());
    }

    private static String kind(Class<?> t) {
        if (t == null) return "a different kind of value";
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "a whole number";
        if (t == Boolean.class || t == boolean.class) return "true or false";
        if (t == String.class) return "a string";
        if (java.util.List.class.isAssignableFrom(t)) return "a list";
        return "a " + t.getSimpleName();
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) b.append('.');
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    public static byte[] write(Object value) {
        try {
            return LENIENT.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** A request the API refuses with 400 and this message. */
    public static final class BadRequestException extends RuntimeException {
        public BadRequestException(String message) {
            super(message, null, false, false);
        }
    }
}

package io.jpen.core.engine;

import io.jpen.core.model.ConnectionDetail;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** What a finished TLS handshake with a client agreed on, kept with its connection for the detail view. */
final class TlsDetails {
    private TlsDetails() {}

    static void record(Channel down, Connection conn) {
        SslHandler ssl = down.pipeline().get(SslHandler.class);
        if (ssl == null) return;
        SSLSession session = ssl.engine().getSession();
        conn.tls(new ConnectionDetail.Tls(session.getProtocol(), session.getCipherSuite(), sni(session),
                clientSubject(session)));
    }

    private static String sni(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession e)) return null;
        try {
            for (SNIServerName n : e.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) return h.getAsciiName();
            }
        } catch (UnsupportedOperationException notKept) {
            // a provider that does not keep the requested names
        }
        return null;
    }

    private static String clientSubject(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) return x.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException noCertificate) {
            // the client sent none (client certificates not asked for)
        }
        return null;
    }
}

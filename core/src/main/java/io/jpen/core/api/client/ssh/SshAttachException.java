package io.jpen.core.api.client.ssh;

/** An SSH attach that could not be made; the message says why in an operator's words. */
public final class SshAttachException extends RuntimeException {
    private final transient SshFailure failure;

    SshAttachException(String message) {
        this(new SshFailure(SshFailure.Kind.OTHER, message));
    }

    SshAttachException(SshFailure failure) {
        super(failure.message());
        this.failure = failure;
    }

    SshFailure failure() {
        return failure;
    }
}

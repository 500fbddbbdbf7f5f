/** A failure with a message for the user: the build stops with it and nothing else. */
final class BuildFailure extends RuntimeException {
    BuildFailure(String message) {
        super(message);
    }
}

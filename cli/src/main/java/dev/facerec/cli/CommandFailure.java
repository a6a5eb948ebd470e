package dev.facerec.cli;

/**
 * The work of a command cannot go on, for a reason the user can act on: the message says what is wrong and what to
 * do, and is printed as it is, after the command's name.
 */
final class CommandFailure extends RuntimeException {
    CommandFailure(String message) {
        super(message);
    }

    CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

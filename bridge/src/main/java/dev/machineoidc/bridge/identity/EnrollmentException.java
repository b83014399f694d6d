package dev.machineoidc.bridge.identity;

/** The machine has no usable identity. The message is meant for the operator and holds no secret. */
public final class EnrollmentException extends Exception {

    public EnrollmentException(String message) {
        super(message);
    }

    public EnrollmentException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.machineoidc.bridge.config;

/** The command line or environment is invalid; the message says which option and why. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message, null, false, false);
    }
}

package dev.machineoidc.bench.load;

import org.eclipse.jetty.client.Request;

/** What one token request is, for one side of the benchmark, and how to tell that it got a token. */
public interface Target {

    /** A new, unsent request for one token. */
    Request newRequest();

    /** Whether a 200 answer's body holds a token (and not, say, an HTML error page). */
    boolean isToken(String body);
}

package dev.machineoidc.bench.fleet;

import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;

/** One host of the simulated fleet: what its next token request is, and its own TLS client. */
interface FleetMember {

    /** The next token request, made as this member's client code makes it. */
    Http11Post tokenRequest();

    boolean isToken(Http11Response answer);

    TlsClient tls();
}

package dev.machineoidc.bench.fleet;

import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;
import java.io.IOException;

/** How one fleet worker's requests reach Keycloak. */
interface Link extends AutoCloseable {

    Http11Response exchange(FleetMember member, Http11Post request) throws IOException;

    @Override
    void close();
}

package dev.machineoidc.bench.fleet;

import dev.machineoidc.bench.http1.Http11Response;
import dev.machineoidc.bench.load.BlockingClosedLoop;

/** One worker of a fleet load: the next member's token request, sent over the worker's link. */
final class FleetWorker<M extends FleetMember> implements BlockingClosedLoop.Worker {

    private final Rotation<M> rotation;
    private final Link link;

    FleetWorker(Rotation<M> rotation, Link link) {
        this.rotation = rotation;
        this.link = link;
    }

    @Override
    public void mintOne() throws Exception {
        M member = rotation.take();
        try {
            Http11Response answer = link.exchange(member, member.tokenRequest());
            if (!member.isToken(answer)) {
                throw new NoToken(answer);
            }
        } finally {
            rotation.giveBack(member);
        }
    }

    @Override
    public void close() {
        link.close();
    }

    /** An answer without a token; shown as the answer itself in the benchmark's error line. */
    static final class NoToken extends Exception {

        NoToken(Http11Response answer) {
            super(answer.describe(), null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}

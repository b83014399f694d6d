package dev.machineoidc.bench.fleet;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The fleet's turns: a worker takes the member that has been idle longest and gives it back once its request is
 * answered. A member is never out twice, and between two of its own requests every member that was idle meanwhile
 * has had its turn: nothing to batch with, and no member served more often than another.
 */
final class Rotation<M extends FleetMember> {

    private final BlockingQueue<M> idle;

    Rotation(List<M> members) {
        this.idle = new ArrayBlockingQueue<>(members.size(), false, members);
    }

    /** Waits only if every member is out, which the fleet's option check rules out. */
    M take() throws InterruptedException {
        return idle.take();
    }

    void giveBack(M member) {
        idle.add(member);
    }
}

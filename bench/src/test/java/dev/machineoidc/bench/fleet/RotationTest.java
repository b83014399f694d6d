package dev.machineoidc.bench.fleet;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.machineoidc.bench.http1.Http11Post;
import dev.machineoidc.bench.http1.Http11Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RotationTest {

    /** A member that only knows whether a worker holds it and how often one took it. */
    private record Member(int number, AtomicBoolean out, AtomicInteger turns) implements FleetMember {

        Member(int number) {
            this(number, new AtomicBoolean(), new AtomicInteger());
        }

        @Override
        public Http11Post tokenRequest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isToken(Http11Response answer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TlsClient tls() {
            throw new UnsupportedOperationException();
        }
    }

    private static List<Member> members(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(Member::new).toList();
    }

    @Test
    void oneWorkerTakesTheMembersRoundRobin() throws InterruptedException {
        Rotation<Member> rotation = new Rotation<>(members(3));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Member member = rotation.take();
            order.add(member.number());
            rotation.giveBack(member);
        }
        assertThat(order, contains(1, 2, 3, 1, 2, 3, 1));
    }

    @Test
    void aMemberOutWaitsBehindThoseIdleMeanwhile() throws InterruptedException {
        Rotation<Member> rotation = new Rotation<>(members(4));
        Member slow = rotation.take();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Member member = rotation.take();
            order.add(member.number());
            rotation.giveBack(member);
            if (i == 1) {
                rotation.giveBack(slow);
            }
        }
        // 1, given back after 2's and 3's turns, queues behind 4, 2 and 3.
        assertThat(order, contains(2, 3, 4, 2));
        assertThat(rotation.take().number(), is(3));
        assertThat(rotation.take().number(), is(1));
    }

    @Test
    void manyWorkersNeverHoldOneMemberTwice() throws InterruptedException {
        int workers = 8;
        int turnsPerWorker = 2_000;
        List<Member> members = members(20);
        Rotation<Member> rotation = new Rotation<>(members);
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < turnsPerWorker; i++) {
                        Member member = rotation.take();
                        if (!member.out().compareAndSet(false, true)) {
                            violations.add("member " + member.number() + " taken while out");
                        }
                        member.turns().incrementAndGet();
                        Thread.yield();
                        member.out().set(false);
                        rotation.giveBack(member);
                    }
                } catch (InterruptedException e) {
                    violations.add("interrupted");
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(violations, is(empty()));
        assertThat(members.stream().mapToInt(member -> member.turns().get()).sum(), is(workers * turnsPerWorker));
    }
}

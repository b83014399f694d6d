package dev.machineoidc.keycloak.testing;

import org.keycloak.models.SingleUseObjectProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Keycloak's cluster-wide single-use store, as a map with its put/remove semantics; entries never expire here. */
public final class FakeSingleUseStore implements SingleUseObjectProvider {

    public final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();
    /** The lifespan each entry was last put with, in seconds. */
    public final Map<String, Long> lifespans = new ConcurrentHashMap<>();
    public final AtomicInteger puts = new AtomicInteger();

    @Override
    public void put(String key, long lifespanSeconds, Map<String, String> notes) {
        entries.put(key, Map.copyOf(notes));
        lifespans.put(key, lifespanSeconds);
        puts.incrementAndGet();
    }

    @Override
    public Map<String, String> get(String key) {
        return entries.get(key);
    }

    @Override
    public Map<String, String> remove(String key) {
        return entries.remove(key);
    }

    @Override
    public boolean replace(String key, Map<String, String> notes) {
        return entries.replace(key, Map.copyOf(notes)) != null;
    }

    @Override
    public boolean putIfAbsent(String key, long lifespanSeconds) {
        return entries.putIfAbsent(key, Map.of()) == null;
    }

    @Override
    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    @Override
    public void close() {
    }
}

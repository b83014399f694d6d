package dev.machineoidc.bridge.api;

import jakarta.servlet.http.HttpServletRequest;

/** Identifies who sent a request, from the connection itself, and whether they may call the API. */
public interface CallerGate {

    Caller identify(HttpServletRequest request);
}

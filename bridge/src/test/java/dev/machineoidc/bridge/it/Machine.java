package dev.machineoidc.bridge.it;

/** A machine provisioned through the admin API, with what its tokens must say about it. */
record Machine(String issuer, String orgId, String org, String appId, String app, String id, String name,
               String version, String region, String image, String imageDigest, String enrollmentToken) {

    /** The contract's {@code sub}: {@code <org_name>:<app_name>:<machine_name>}. */
    String subject() {
        return org + ":" + app + ":" + name;
    }

    /** Leaves the enrollment token out of assertion messages. */
    @Override
    public String toString() {
        return "Machine[" + subject() + ", id=" + id + "]";
    }
}

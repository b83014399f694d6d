package dev.machineoidc.keycloak.machine;


import dev.machineoidc.keycloak.refusal.Refusal;
import java.util.regex.Pattern;

/** What a deploy says a machine runs; validated before anything is stored. */
public record MachineSpec(String region, String image, String imageDigest) {

    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern IMAGE = Pattern.compile("[\\x21-\\x7e]{1,512}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public MachineSpec {
        if (region == null || !REGION.matcher(region).matches()) {
            throw Refusal.invalid("invalid_region", "'region' must match [a-z0-9][a-z0-9-]{0,31}, e.g. \"sea\".");
        }
        if (image == null || !IMAGE.matcher(image).matches()) {
            throw Refusal.invalid("invalid_image", "'image' must be 1-512 printable characters without spaces.");
        }
        if (imageDigest == null || !DIGEST.matcher(imageDigest).matches()) {
            throw Refusal.invalid("invalid_image_digest", "'image_digest' must be sha256:<64 lowercase hex>.");
        }
    }
}

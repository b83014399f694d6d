package dev.machineoidc.keycloak.signing;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Tests that need AWS-LC: the jar bundles ACCP's linux-x86_64 build only, elsewhere mints sign with the JDK. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@EnabledOnOs(value = OS.LINUX, architectures = "amd64")
@interface OnAccpPlatform {
}

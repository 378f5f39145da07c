package io.jurunc.e2e.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Marks an end-to-end test class: it needs root, containerd, qemu and a built jurunc, and runs only in
 * the e2e module's {@code e2e} surefire execution ({@code -De2e}), which sets {@code jurunc.e2e=true}.
 * Without it (e.g. {@code mvn test -Dtest=...} alone) the class is reported as skipped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("e2e")
@EnabledIfSystemProperty(
        named = "jurunc.e2e",
        matches = "true",
        disabledReason = "end-to-end test: run with -De2e (needs root, containerd, qemu and `mvn install`)")
public @interface E2E {}

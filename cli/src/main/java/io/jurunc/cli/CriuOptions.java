package io.jurunc.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * runc's CRIU flags that {@code checkpoint} and {@code restore} share. They are accepted so that runc's
 * command lines parse; runc gets the original arguments, and a microVM is refused before any is used.
 */
final class CriuOptions {
    @Option(names = "--image-path")
    String imagePath;

    @Option(names = "--work-path")
    String workPath;

    @Option(names = "--tcp-established")
    boolean tcpEstablished;

    @Option(names = "--ext-unix-sk")
    boolean extUnixSk;

    @Option(names = "--shell-job")
    boolean shellJob;

    @Option(names = "--file-locks")
    boolean fileLocks;

    @Option(names = "--manage-cgroups-mode")
    String manageCgroupsMode;

    @Option(names = "--empty-ns")
    List<String> emptyNs;

    @Option(names = "--auto-dedup")
    boolean autoDedup;

    @Option(names = "--lazy-pages")
    boolean lazyPages;
}

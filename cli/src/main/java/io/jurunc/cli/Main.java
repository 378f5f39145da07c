package io.jurunc.cli;

import picocli.CommandLine;

/** Entry point of the {@code jurunc} binary. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        JuruncCommand fast = new JuruncCommand(args);
        var bound = FastPath.bind(fast, args);
        if (bound.isPresent()) {
            int rc;
            try {
                rc = bound.get().call();
            } catch (Exception e) {
                fast.log().error(e.getMessage() == null ? e.toString() : e.getMessage());
                rc = 1;
            }
            System.out.flush();
            System.exit(rc);
        }
        JuruncCommand top = new JuruncCommand(args);
        CommandLine cl = new CommandLine(top);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            top.log().error(ex.getMessage() == null ? ex.toString() : ex.getMessage());
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args1) -> {
            System.err.println("jurunc: " + ex.getMessage());
            ex.getCommandLine().usage(System.err);
            return 2;
        });
        Commands.register(cl, args);
        int rc = cl.execute(args);
        System.out.flush();
        System.exit(rc);
    }
}

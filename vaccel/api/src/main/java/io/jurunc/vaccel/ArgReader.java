package io.jurunc.vaccel;

import java.util.List;

/**
 * A read cursor over an argument list, like {@code vaccel_arg_array}'s position: each {@code next*} call
 * checks the type and moves on; reading past the end is {@code ERANGE}.
 */
public final class ArgReader {
    private final List<Arg> args;
    private int position;

    public ArgReader(List<Arg> args) {
        this.args = List.copyOf(args);
    }

    public Arg next() {
        if (position >= args.size()) {
            throw new VaccelException(
                    Errno.ERANGE, "read past the end of the argument list (" + args.size() + " args)");
        }
        return args.get(position++);
    }

    public Arg next(ArgType type) {
        Arg a = next();
        if (a.type() != type) {
            throw new VaccelException.InvalidArgumentException(
                    "argument " + (position - 1) + " is " + a.type() + ", expected " + type);
        }
        return a;
    }

    public String nextString() {
        return next(ArgType.STRING).asString();
    }

    public long nextInt64() {
        return next(ArgType.INT64).asInt64();
    }

    public float nextFloat32() {
        return next(ArgType.FLOAT32).asFloat32();
    }

    public float[] nextFloat32Array() {
        return next(ArgType.FLOAT32_ARRAY).asFloat32Array();
    }

    /** The arguments not read yet. */
    public List<Arg> rest() {
        return args.subList(position, args.size());
    }

    public int remaining() {
        return args.size() - position;
    }
}

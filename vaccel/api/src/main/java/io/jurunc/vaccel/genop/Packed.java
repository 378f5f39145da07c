package io.jurunc.vaccel.genop;

import io.jurunc.vaccel.Arg;
import java.util.List;

/** Genop arguments: read args (the first is the UINT8 op type) and write args. */
public record Packed(List<Arg> read, List<Arg> write) {
    public Packed {
        read = List.copyOf(read);
        write = List.copyOf(write);
    }
}

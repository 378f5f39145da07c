package io.jurunc.vaccel.onnx;

import java.util.List;

/** Class labels, one per line; index i names output class i (missing labels read as "class <i>"). */
record Labels(List<String> names) {
    Labels {
        names = List.copyOf(names);
    }

    static Labels parse(String text) {
        return new Labels(
                text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    String name(int index) {
        return index < names.size() ? names.get(index) : "class " + index;
    }
}

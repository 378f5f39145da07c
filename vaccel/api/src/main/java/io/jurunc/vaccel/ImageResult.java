package io.jurunc.vaccel;

/** The answer of an image op: {@code tags} (classification text; empty for the other image ops) and {@code imgname}. */
public record ImageResult(String tags, String imgname) {
    public ImageResult {
        tags = tags == null ? "" : tags;
        imgname = imgname == null ? "" : imgname;
    }
}

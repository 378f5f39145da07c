package io.jurunc.runtime.state;

import java.util.Locale;

/** OCI container status; owns the rules of which operation is legal when. */
public enum ContainerStatus {
  CREATING,
  CREATED,
  RUNNING,
  STOPPED;

  public String ociName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean canStart() {
    return this == CREATED;
  }

  public boolean canKill() {
    return this == CREATED || this == RUNNING;
  }

  /** Without --force, only containers that are not running may be deleted (as runc). */
  public boolean canDeleteWithoutForce() {
    return this != RUNNING;
  }
}

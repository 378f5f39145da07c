package io.jurunc.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The subset of the OCI runtime-spec {@code config.json} that jurunc reads. Unknown fields are
 * ignored on purpose: the bundle is handed unchanged to runc when it is not a unikernel.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        List<Mount> mounts,
        Map<String, String> annotations,
        Linux linux,
        Hooks hooks) {

    public Spec {
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Process(Boolean terminal, User user, List<String> args, List<String> env, String cwd) {
        public Process {
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? List.of() : List.copyOf(env);
        }

        public boolean isTerminal() {
            return Boolean.TRUE.equals(terminal);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(Integer uid, Integer gid, List<Integer> additionalGids) {
        public User {
            additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
        }

        public int uidOrRoot() {
            return uid == null ? 0 : uid;
        }

        public int gidOrRoot() {
            return gid == null ? 0 : gid;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Root(String path, Boolean readonly) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mount(String destination, String type, String source, List<String> options) {
        public Mount {
            options = options == null ? List.of() : List.copyOf(options);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Linux(
            List<Namespace> namespaces,
            Resources resources,
            String cgroupsPath,
            com.fasterxml.jackson.databind.JsonNode seccomp) {
        public Linux {
            namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        }
    }

    /** {@code hooks}: the runtime-spec's lifecycle hooks, by stage; a missing stage is empty. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hooks(
            List<Hook> prestart,
            List<Hook> createRuntime,
            List<Hook> createContainer,
            List<Hook> startContainer,
            List<Hook> poststart,
            List<Hook> poststop) {
        public Hooks {
            prestart = prestart == null ? List.of() : List.copyOf(prestart);
            createRuntime = createRuntime == null ? List.of() : List.copyOf(createRuntime);
            createContainer = createContainer == null ? List.of() : List.copyOf(createContainer);
            startContainer = startContainer == null ? List.of() : List.copyOf(startContainer);
            poststart = poststart == null ? List.of() : List.copyOf(poststart);
            poststop = poststop == null ? List.of() : List.copyOf(poststop);
        }
    }

    /** One hook: {@code path} is executed with {@code args} as its argv (args[0] is argv0) and {@code env}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
        public Hook {
            args = args == null ? List.of() : List.copyOf(args);
            env = env == null ? List.of() : List.copyOf(env);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Namespace(String type, String path) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(Memory memory, Cpu cpu) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Long limit) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(Long quota, Long period, String cpus, Long shares) {}
}

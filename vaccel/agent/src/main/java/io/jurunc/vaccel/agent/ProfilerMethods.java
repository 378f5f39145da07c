package io.jurunc.vaccel.agent;

import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.prof.Sample;
import io.jurunc.vaccel.rpc.common.AgentProtocol;
import io.jurunc.vaccel.rpc.proto.ProfilingProto;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GetProfiler: the agent's regions for the session plus the host session's own vAccel regions. */
final class ProfilerMethods {
    private final AgentState state;

    ProfilerMethods(AgentState state) {
        this.state = state;
    }

    ProfilingProto.Response get(ProfilingProto.Request req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        Map<String, List<Sample>> all =
                new LinkedHashMap<>(state.profiler(s.id()).snapshot());
        all.putAll(s.profiler().snapshot());
        ProfilingProto.Profiler.Builder p =
                ProfilingProto.Profiler.newBuilder().setComponentName(AgentProtocol.AGENT_COMPONENT);
        all.forEach((name, samples) -> {
            ProfilingProto.Region.Builder r = ProfilingProto.Region.newBuilder();
            for (Sample smp : samples) {
                r.addSamples(
                        ProfilingProto.Sample.newBuilder().setStart(smp.start()).setTime(smp.time()));
            }
            p.putRegions(name, r.build());
        });
        return ProfilingProto.Response.newBuilder().setProfiler(p).build();
    }
}

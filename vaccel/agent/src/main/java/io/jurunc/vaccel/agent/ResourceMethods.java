package io.jurunc.vaccel.agent;

import com.google.protobuf.Empty;
import com.google.protobuf.UnsafeByteOperations;
import io.jurunc.ttrpc.CallContext;
import io.jurunc.ttrpc.StatusCode;
import io.jurunc.ttrpc.TtrpcException;
import io.jurunc.vaccel.Blob;
import io.jurunc.vaccel.BlobType;
import io.jurunc.vaccel.Resource;
import io.jurunc.vaccel.ResourceSpec;
import io.jurunc.vaccel.ResourceType;
import io.jurunc.vaccel.Session;
import io.jurunc.vaccel.rpc.common.ErrorCodec;
import io.jurunc.vaccel.rpc.proto.ResourceProto;
import java.util.ArrayList;
import java.util.List;

/**
 * RegisterResource, UnregisterResource, SyncResource. A new resource comes from blobs (data sent by the
 * client; written under the host rundir when a plugin needs files) or from host paths inside the agent's
 * resource directories ({@link AgentPolicy}; none by default); an existing one
 * ({@code resource_id > 0}) is registered with another session without resending data. A resource whose
 * last session unregisters it is destroyed.
 */
final class ResourceMethods {
    private final AgentState state;

    ResourceMethods(AgentState state) {
        this.state = state;
    }

    ResourceProto.RegisterResponse register(ResourceProto.RegisterRequest req, CallContext ctx) throws TtrpcException {
        ClientState c = state.client(ctx);
        Session s = state.session(ctx, req.getSessionId());
        if (req.getResourceId() > 0) {
            Resource r = state.resource(ctx, req.getResourceId());
            s.register(r);
            return ResourceProto.RegisterResponse.newBuilder()
                    .setResourceId(r.id())
                    .build();
        }
        ResourceType type = ResourceType.fromWire(req.getResourceTypeValue());
        ResourceSpec spec;
        if (req.getBlobsCount() > 0) {
            List<Blob> blobs = new ArrayList<>();
            for (ResourceProto.Blob b : req.getBlobsList()) {
                if (Integer.toUnsignedLong(b.getSize()) != b.getData().size()) {
                    throw ErrorCodec.invalid("blob " + b.getName() + " size " + Integer.toUnsignedLong(b.getSize())
                            + " does not match its data");
                }
                blobs.add(
                        new Blob(BlobType.BUFFER, b.getName(), null, b.getData().toByteArray()));
            }
            spec = ResourceSpec.ofBlobs(blobs, type);
        } else if (req.getPathsCount() > 0) {
            List<String> real = new ArrayList<>();
            for (String p : req.getPathsList()) {
                real.add(state.policy()
                        .allowedPath(p)
                        .orElseThrow(() -> new TtrpcException(
                                StatusCode.PERMISSION_DENIED,
                                "host path " + p
                                        + " is not inside a resource directory of this agent (send the data as blobs)"))
                        .toString());
            }
            spec = ResourceSpec.ofPaths(real, type);
        } else {
            throw ErrorCodec.invalid("RegisterRequest needs blobs or paths");
        }
        Resource r = state.vaccel().createResource(spec);
        try {
            s.register(r);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        if (!c.ownResource(r.id())) {
            s.unregister(r);
            r.close();
            throw new TtrpcException(StatusCode.UNAVAILABLE, "client connection closed");
        }
        return ResourceProto.RegisterResponse.newBuilder().setResourceId(r.id()).build();
    }

    Empty unregister(ResourceProto.UnregisterRequest req, CallContext ctx) throws TtrpcException {
        Session s = state.session(ctx, req.getSessionId());
        Resource r = state.resource(ctx, req.getResourceId());
        s.unregister(r);
        state.releaseIfUnused(state.client(ctx), r);
        return Empty.getDefaultInstance();
    }

    ResourceProto.SyncResponse sync(ResourceProto.SyncRequest req, CallContext ctx) throws TtrpcException {
        Resource r = state.resource(ctx, req.getResourceId());
        ResourceProto.SyncResponse.Builder out = ResourceProto.SyncResponse.newBuilder();
        for (Blob b : r.blobs()) {
            Blob loaded = b.withData();
            out.addBlobs(ResourceProto.Blob.newBuilder()
                    .setTypeValue(b.type().ordinal())
                    .setName(b.name())
                    .setData(UnsafeByteOperations.unsafeWrap(loaded.data()))
                    .setSize(loaded.data().length));
        }
        return out.build();
    }
}

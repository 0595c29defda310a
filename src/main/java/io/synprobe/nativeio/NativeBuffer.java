package io.synprobe.nativeio;

import java.nio.ByteBuffer;

/**
 * A direct buffer together with its binding's native view of it (a jnr-ffi Pointer or an FFM MemorySegment), made
 * once per buffer so that no call has to wrap the buffer again.
 */
final class NativeBuffer {
    final ByteBuffer buffer;
    final Object view;

    NativeBuffer(ByteBuffer buffer, Object view) {
        if (!buffer.isDirect()) throw new IllegalArgumentException("the shim needs a direct buffer");
        this.buffer = buffer;
        this.view = view;
    }
}

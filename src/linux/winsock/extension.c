#define IOCPCOMPAT_WINDOWS_POLL 1   /* hands out WSAPoll */
#include "extension.h"
#include "extension_internal.h"
#include "rio.h"

#include <errno.h>
#include <mswsock.h>
#include <string.h>

bool extension_next_step(struct op *op, int *res)
{
    switch (op->ext) {
    case EXT_ACCEPTEX:
        if (op->req.kind == REQ_POLL_IN) {
            *res = -EOVERFLOW;   /* a connection came for blocks too small to take it */
            return false;
        }
        return op->req.kind == REQ_ACCEPT && acceptex_step(op, res);
    case EXT_CONNECTEX:
        return connectex_step(op, res);
    default:
        return false;
    }
}

void *extension_function(const GUID *guid)
{
    static const GUID acceptex = WSAID_ACCEPTEX;
    static const GUID sockaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    static const GUID connectex = WSAID_CONNECTEX;
    static const GUID disconnectex = WSAID_DISCONNECTEX;
    static const GUID transmitfile = WSAID_TRANSMITFILE;
    static const GUID recvmsg = WSAID_WSARECVMSG;
    static const GUID sendmsg = WSAID_WSASENDMSG;
    static const GUID poll = WSAID_WSAPOLL;
    if (memcmp(guid, &acceptex, sizeof(GUID)) == 0)
        return (void *)(LPFN_ACCEPTEX)AcceptEx;
    if (memcmp(guid, &sockaddrs, sizeof(GUID)) == 0)
        return (void *)(LPFN_GETACCEPTEXSOCKADDRS)GetAcceptExSockaddrs;
    if (memcmp(guid, &connectex, sizeof(GUID)) == 0)
        return (void *)(LPFN_CONNECTEX)extension_connect_ex;
    if (memcmp(guid, &disconnectex, sizeof(GUID)) == 0)
        return (void *)(LPFN_DISCONNECTEX)extension_disconnect_ex;
    if (memcmp(guid, &transmitfile, sizeof(GUID)) == 0)
        return (void *)(LPFN_TRANSMITFILE)TransmitFile;
    if (memcmp(guid, &recvmsg, sizeof(GUID)) == 0)
        return (void *)(LPFN_WSARECVMSG)recv_send_recv_msg;
    if (memcmp(guid, &sendmsg, sizeof(GUID)) == 0)
        return (void *)(LPFN_WSASENDMSG)WSASendMsg;
    if (memcmp(guid, &poll, sizeof(GUID)) == 0)
        return (void *)(LPFN_WSAPOLL)WSAPoll;
    return NULL;
}

bool extension_function_table(const GUID *guid, void *out, DWORD size, DWORD *produced)
{
    static const GUID rio = WSAID_MULTIPLE_RIO;
    if (memcmp(guid, &rio, sizeof(GUID)) != 0 || size < sizeof(RIO_EXTENSION_FUNCTION_TABLE))
        return false;
    RIO_EXTENSION_FUNCTION_TABLE t = {
        .cbSize = sizeof(t),
        .RIOReceive = rio_receive,
        .RIOReceiveEx = rio_receive_ex,
        .RIOSend = rio_send,
        .RIOSendEx = rio_send_ex,
        .RIOCloseCompletionQueue = rio_close_completion_queue,
        .RIOCreateCompletionQueue = rio_create_completion_queue,
        .RIOCreateRequestQueue = rio_create_request_queue,
        .RIODequeueCompletion = rio_dequeue_completion,
        .RIODeregisterBuffer = rio_deregister_buffer,
        .RIONotify = rio_notify,
        .RIORegisterBuffer = rio_register_buffer,
        .RIOResizeCompletionQueue = rio_resize_completion_queue,
        .RIOResizeRequestQueue = rio_resize_request_queue,
    };
    memcpy(out, &t, sizeof(t));
    *produced = sizeof(t);
    return true;
}

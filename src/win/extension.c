/*
 * WSAIoctl and AcceptEx, as the overlapped RIO provider needs them: the
 * RIO function table is handed out by WSAIoctl, and AcceptEx makes a RIO
 * socket of a socket it accepts for a RIO listener. With the native
 * provider both pass straight to the SDK.
 */
#include "mode.h"
#include "rio.h"

#include <string.h>

#define EXPORT __declspec(dllexport)

void rio_overlapped_table(RIO_EXTENSION_FUNCTION_TABLE *t)
{
    memset(t, 0, sizeof(*t));
    t->cbSize = sizeof(*t);
    t->RIOReceive = rio_receive;
    t->RIOReceiveEx = rio_receive_ex;
    t->RIOSend = rio_send;
    t->RIOSendEx = rio_send_ex;
    t->RIOCloseCompletionQueue = rio_close_completion_queue;
    t->RIOCreateCompletionQueue = rio_create_completion_queue;
    t->RIOCreateRequestQueue = rio_create_request_queue;
    t->RIODequeueCompletion = rio_dequeue_completion;
    t->RIODeregisterBuffer = rio_deregister_buffer;
    t->RIONotify = rio_notify;
    t->RIORegisterBuffer = rio_register_buffer;
    t->RIOResizeCompletionQueue = rio_resize_completion_queue;
    t->RIOResizeRequestQueue = rio_resize_request_queue;
}

EXPORT BOOL PASCAL iocpcompat_AcceptEx(SOCKET listener, SOCKET accepted, PVOID buffer,
                                       DWORD data_length, DWORD local_length,
                                       DWORD remote_length, LPDWORD received, LPOVERLAPPED ovl)
{
    if (win_rio_provider() == WIN_RIO_OVERLAPPED)
        rio_socket_accepted(listener, accepted);
    return AcceptEx(listener, accepted, buffer, data_length, local_length, remote_length,
                    received, ovl);
}

static bool guid_is(const void *in, DWORD in_length, const GUID *guid)
{
    return in != NULL && in_length >= sizeof(GUID) && memcmp(in, guid, sizeof(GUID)) == 0;
}

/* A function pointer (or table) WSAIoctl hands out in a synchronous call:
 * 0, or SOCKET_ERROR with the last error set. */
static int hand_out(const void *thing, DWORD size, LPVOID out, DWORD out_length, LPDWORD bytes)
{
    if (out == NULL || out_length < size || bytes == NULL) {
        WSASetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    memcpy(out, thing, size);
    *bytes = size;
    WSASetLastError(0);
    return 0;
}

EXPORT int WSAAPI iocpcompat_WSAIoctl(SOCKET s, DWORD code, LPVOID in, DWORD in_length,
                                      LPVOID out, DWORD out_length, LPDWORD bytes,
                                      LPWSAOVERLAPPED ovl,
                                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    static const GUID rio = WSAID_MULTIPLE_RIO;
    static const GUID acceptex = WSAID_ACCEPTEX;
    enum win_rio_provider provider = win_rio_provider();
    if (code == SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER && provider == WIN_RIO_REFUSED) {
        WSASetLastError(WSAEOPNOTSUPP);
        return SOCKET_ERROR;
    }
    if (provider != WIN_RIO_OVERLAPPED || ovl != NULL || routine != NULL)
        return WSAIoctl(s, code, in, in_length, out, out_length, bytes, ovl, routine);
    bool ours = code == SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER ||
                (code == SIO_GET_EXTENSION_FUNCTION_POINTER && guid_is(in, in_length, &acceptex));
    int type, type_length = sizeof(type);
    if (ours && getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &type_length) != 0)
        return SOCKET_ERROR;   /* WSAENOTSOCK, as the SDK's WSAIoctl gives */
    if (code == SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER) {
        if (!guid_is(in, in_length, &rio)) {
            WSASetLastError(WSAEINVAL);   /* only RIO's GUID names a table */
            return SOCKET_ERROR;
        }
        RIO_EXTENSION_FUNCTION_TABLE table;
        rio_overlapped_table(&table);
        return hand_out(&table, sizeof(table), out, out_length, bytes);
    }
    if (ours) {
        LPFN_ACCEPTEX fn = iocpcompat_AcceptEx;
        return hand_out(&fn, sizeof(fn), out, out_length, bytes);
    }
    return WSAIoctl(s, code, in, in_length, out, out_length, bytes, ovl, routine);
}

/*
 * The Microsoft extension functions (AcceptEx, GetAcceptExSockaddrs,
 * ConnectEx, DisconnectEx) and WSAAccept. Their operations take several
 * kernel steps; op_complete hands each intermediate result here.
 */
#ifndef IOCPCOMPAT_EXTENSION_H
#define IOCPCOMPAT_EXTENSION_H

#include <stdbool.h>
#include <winsock2.h>

struct op;
struct sock;

/* The step that ended with *res succeeded. Sets op up for its next step and
 * returns true, or returns false with *res the operation's final result
 * (bytes, or -errno). Called with op->sock locked. */
bool extension_next_step(struct op *op, int *res);

/* An AcceptEx is finishing: its accept socket is free for another one.
 * Called with the listener (op->sock) locked. */
void extension_accept_finished(struct op *op);

/* closesocket(target) while op, an AcceptEx into it, is pending on listener:
 * cancel it. Called with no socket locked. */
void extension_cancel_accept(struct sock *listener, struct op *op, struct sock *target);

/* The extension function a GUID names, or NULL. */
void *extension_function(const GUID *guid);

/* WSAIoctl(SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER): the table a GUID
 * names (WSAID_MULTIPLE_RIO) written to out; false when the GUID names none
 * or size is too small for it. */
bool extension_function_table(const GUID *guid, void *out, DWORD size, DWORD *produced);

/* WSARecvMsg, which WSAID_WSARECVMSG names (recv_send.c). */
INT PASCAL recv_send_recv_msg(SOCKET s, LPWSAMSG msg, LPDWORD bytes, LPWSAOVERLAPPED ovl,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

#endif

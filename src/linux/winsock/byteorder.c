/* WSAHtonl and friends: byte order by way of a socket, which must be one
 * (WSAENOTSOCK), with the result pointer checked (WSAEFAULT). */
#include "error.h"
#include "socket.h"

static int check(SOCKET s, const void *out)
{
    struct sock *rec = sock_for_call(s);
    if (rec == NULL)
        return SOCKET_ERROR;
    sock_release(rec);
    if (out == NULL) {
        error_set(WSAEFAULT);
        return SOCKET_ERROR;
    }
    return 0;
}

int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong)
{
    if (check(s, lpnetlong) != 0)
        return SOCKET_ERROR;
    *lpnetlong = (u_long)htonl((uint32_t)hostlong);
    return 0;
}

int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort)
{
    if (check(s, lpnetshort) != 0)
        return SOCKET_ERROR;
    *lpnetshort = htons(hostshort);
    return 0;
}

int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong)
{
    if (check(s, lphostlong) != 0)
        return SOCKET_ERROR;
    *lphostlong = (u_long)ntohl((uint32_t)netlong);
    return 0;
}

int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort)
{
    if (check(s, lphostshort) != 0)
        return SOCKET_ERROR;
    *lphostshort = ntohs(netshort);
    return 0;
}

/* Winsock 2 TCP/IP extras: getaddrinfo and friends come from the C library. */
#ifndef IOCPCOMPAT_WS2TCPIP_H
#define IOCPCOMPAT_WS2TCPIP_H

#include "winsock2.h"
#include <netdb.h>

typedef struct addrinfo ADDRINFOA, *PADDRINFOA;

#endif

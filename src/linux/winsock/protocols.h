/* The protocol catalogue's entries, for WSAEnumProtocolsA and
 * getsockopt(SO_PROTOCOL_INFO). */
#ifndef IOCPCOMPAT_PROTOCOLS_H
#define IOCPCOMPAT_PROTOCOLS_H

#include <stdbool.h>
#include <winsock2.h>

/* The entry for a socket of that family and type; false when the catalogue
 * has none (a family or type WSAEnumProtocolsA does not list). */
bool protocols_describe(int family, int type, WSAPROTOCOL_INFOA *info);

#endif

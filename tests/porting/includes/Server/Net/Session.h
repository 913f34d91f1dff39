#ifndef SESSION_H
#define SESSION_H
#define SESSION_SLOTS 16
#endif

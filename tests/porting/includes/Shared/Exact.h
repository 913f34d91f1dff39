#define EXACT_NAME 1

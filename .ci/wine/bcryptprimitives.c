/*
 * bcryptprimitives.dll for wine 8: exports ProcessPrng, which Rust's
 * standard library calls for random bytes (HashMap's keys) and which wine 8
 * lacks. It fills the buffer with RtlGenRandom (advapi32's
 * SystemFunction036), in pieces its ULONG length can hold.
 *
 * Built by .ci/cross with mingw-w64:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *       bcryptprimitives.c -ladvapi32
 * and put beside the .exe, where wine looks first. Never shipped: CI only.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG piece = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, piece)) {
            return FALSE;
        }
        data += piece;
        length -= piece;
    }
    /* Windows' own always returns TRUE; this one says FALSE only if
     * RtlGenRandom failed. */
    return TRUE;
}

/* `nightpose calibrate --port`: the guided calibration on a live device. */
#ifndef NIGHTPOSE_HOST_CLI_CLI_CALIBRATE_LIVE_H
#define NIGHTPOSE_HOST_CLI_CLI_CALIBRATE_LIVE_H

#include "np_calfile.h"

/*
 * Guide the wearer through lying on the back and on the left side, each still for
 * NP_GUIDE_STILL_S, on the device at port ("auto": the one nightpose device), at
 * most timeout_s per step. Fills *cal (device serial, windows, mounting; no offset
 * or gain fit: two postures cannot give one). Returns an exit code, having said why.
 */
int np_cli_calibrate_live(const char *port, double timeout_s, struct np_calfile *cal);

#endif

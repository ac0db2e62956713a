/*
 * Host -> device commands: bytes from the link are reassembled into frames,
 * every COMMAND frame gets exactly one ACK (OK, BAD_ARG, UNSUPPORTED or FAILED),
 * and anything else (garbage, bad CRC, oversize, other frame types) is dropped
 * and counted in STATUS.link_rx_errors.
 */
#ifndef NIGHTPOSE_FIRMWARE_APP_FW_COMMAND_H
#define NIGHTPOSE_FIRMWARE_APP_FW_COMMAND_H

#include <stddef.h>
#include <stdint.h>

#include "np_msg.h"

struct fw_app;

/* Feed bytes received from the host; handles every complete frame in them. */
void fw_command_feed(struct fw_app *app, const uint8_t *data, size_t len);

/* Execute one decoded command and fill *ack (cmd_seq is the caller's). */
void fw_command_execute(struct fw_app *app, const struct np_command *c, struct np_ack *ack);

#endif

#include "fw_app.h"

/* The one instance on the device (STYLE.md: file-scope state lives here and in board files). */
static struct fw_app app;

void fw_main_run(const struct fw_board *board)
{
	fw_app_init(&app, board);
	for (;;) {
		if (!fw_app_poll(&app))
			board->ops->idle(board->ctx);
	}
}

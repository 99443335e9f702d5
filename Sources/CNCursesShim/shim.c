#include "CNCursesShim.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static int till_stopped = 1;

int till_setup_locale(void) {
  setlocale(LC_ALL, "");
  const char *codeset = nl_langinfo(CODESET);
  if (codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0)) {
    return 1;
  }
  if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
    return 0;
  }
  codeset = nl_langinfo(CODESET);
  return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

int till_start(int use_colors) {
  if (initscr() == NULL) {
    return -1;
  }
  till_stopped = 0;
  static int registered = 0;
  if (!registered) {
    registered = 1;
    atexit(till_stop);
  }
  cbreak();
  // Ctrl-C must not throw away keys typed before it: the till sends them before it closes.
  noqiflush();
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  set_escdelay(25);
  curs_set(0);
  if (use_colors && has_colors()) {
    start_color();
    use_default_colors();
  }
  return 0;
}

void till_stop(void) {
  if (!till_stopped) {
    till_stopped = 1;
    endwin();
  }
}

int till_is_stopped(void) { return till_stopped; }

int till_rows(void) { return getmaxy(stdscr); }
int till_cols(void) { return getmaxx(stdscr); }

void till_set_timeout(int milliseconds) { timeout(milliseconds); }

till_key till_read_key(void) {
  wint_t value = 0;
  int result = wget_wch(stdscr, &value);
  till_key key;
  if (result == ERR) {
    key.kind = TILL_KEY_NONE;
    key.value = 0;
  } else if (result == KEY_CODE_YES) {
    key.kind = TILL_KEY_CODE;
    key.value = (int)value;
  } else {
    key.kind = TILL_KEY_CHAR;
    key.value = (int)value;
  }
  return key;
}

int till_key_up(void) { return KEY_UP; }
int till_key_down(void) { return KEY_DOWN; }
int till_key_left(void) { return KEY_LEFT; }
int till_key_right(void) { return KEY_RIGHT; }
int till_key_ppage(void) { return KEY_PPAGE; }
int till_key_npage(void) { return KEY_NPAGE; }
int till_key_home(void) { return KEY_HOME; }
int till_key_end(void) { return KEY_END; }
int till_key_backspace(void) { return KEY_BACKSPACE; }
int till_key_dc(void) { return KEY_DC; }
int till_key_enter(void) { return KEY_ENTER; }
int till_key_btab(void) { return KEY_BTAB; }
int till_key_resize(void) { return KEY_RESIZE; }
int till_key_f0(void) { return KEY_F0; }

int till_has_colors(void) { return has_colors() ? 1 : 0; }
int till_init_pair(short pair, short fg, short bg) { return init_pair(pair, fg, bg) == OK ? 0 : -1; }

void till_set_attributes(short pair, int bits) {
  attr_t attributes = A_NORMAL;
  if (bits & TILL_ATTR_BOLD) attributes |= A_BOLD;
  if (bits & TILL_ATTR_REVERSE) attributes |= A_REVERSE;
  if (bits & TILL_ATTR_UNDERLINE) attributes |= A_UNDERLINE;
  if (bits & TILL_ATTR_DIM) attributes |= A_DIM;
  attr_set(attributes, pair, NULL);
}

int till_put(int row, int col, const wchar_t *text, int count) {
  return mvaddnwstr(row, col, text, count);
}

void till_clear(void) { clearok(stdscr, TRUE); }
void till_move_cursor(int row, int col) { move(row, col); }
void till_refresh(void) { refresh(); }

static volatile sig_atomic_t till_signal = 0;
static volatile sig_atomic_t till_signals = 0;

static void till_on_signal(int number) {
  till_signal = number;
  till_signals += 1;
}

void till_install_signal_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_handler = till_on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
}

int till_pending_signal(void) { return till_signal; }
int till_signal_count(void) { return till_signals; }

// TillTUI

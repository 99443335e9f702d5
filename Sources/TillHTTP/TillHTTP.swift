// TillHTTP

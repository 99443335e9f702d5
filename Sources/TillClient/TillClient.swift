// TillClient

print("credtool")

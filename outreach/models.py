"""Models of this app. (Empty until its issue is taken.)"""

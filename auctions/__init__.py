"""Auctions (拍卖), bids, deposits (保证金), closing and live updates."""

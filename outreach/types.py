"""The built-in event types (created by migration 0002; a platform adds its own on top)."""

BUILTIN_TYPES: list[tuple[str, str]] = [
    ("food_distribution", "食糧配布"),
    ("training", "研修・講演"),
    ("bus_tour", "バスツアー・現場見学"),
    ("symposium", "シンポジウム"),
    ("pf_meeting", "PF会議"),
    ("case_study", "ケーススタディ"),
    ("newspaper_ad", "新聞広告"),
    ("web_ad", "ウェブ広告"),
    ("video", "動画"),
    ("novelty", "ノベルティ"),
    ("leaflet", "リーフレット配布"),
    ("survey", "調査"),
]

"""人民检察院: the procuratorate: supervision, public hearings, judicial aid, suggestions."""

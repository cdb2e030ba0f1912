"""A diagnosis as one self-contained HTML page the Service Desk can attach to a ticket or send to a PD.

Verdict first (coloured), then the cause and how sure netops is, who else is hit, where to send the field team
(fibre, ducts with their routes, both ends with site and street address), the evidence lines a person can
check, what could not be seen, the other candidates, and the message for Tier 1. Headings in Indonesian or
English; the Tier-1 message is always Indonesian (it goes to the PD); evidence lines are the engineers'
technical English. Every value reaches the page through Jinja's autoescape: device and PD names come from
inventories and diagrams that other people write.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from netops.models.diagnosis import Diagnosis
from netops.report.i18n import CATALOGUE, DEFAULT_LANG, LANGS, t

TEMPLATES = Path(__file__).parent / "templates"

MESSAGES: dict[str, dict[str, str]] = {
    "diagnosis.title": {"id": "Diagnosis gangguan: {target}", "en": "Outage diagnosis: {target}"},
    "diagnosis.verdict.healthy": {"id": "SEHAT: jalur ke Pusat Data berfungsi", "en": "HEALTHY: the path to the Pusat Data works"},
    "diagnosis.verdict.outage": {"id": "PUTUS: {target} tidak terhubung ke Pusat Data", "en": "OUTAGE: {target} is cut off from the Pusat Data"},
    "diagnosis.verdict.degraded": {"id": "TERGANGGU: ada gangguan, {target} masih terhubung",
                                   "en": "DEGRADED: a fault, {target} still connected"},
    "diagnosis.verdict.unknown": {"id": "TIDAK DIKETAHUI: {target} tidak dapat diperiksa", "en": "UNKNOWN: {target} cannot be checked"},
    "diagnosis.cause": {"id": "Penyebab paling mungkin", "en": "Probable cause"},
    "diagnosis.confidence": {"id": "Keyakinan", "en": "Confidence"},
    "diagnosis.conf.high": {"id": "tinggi", "en": "high"}, "diagnosis.conf.medium": {"id": "sedang", "en": "medium"},
    "diagnosis.conf.low": {"id": "rendah", "en": "low"},
    "diagnosis.tied": {"id": "Tidak dapat dibedakan dari", "en": "Cannot be told apart from"},
    "diagnosis.checked": {"id": "Diperiksa {at} dalam {seconds} detik (pemindaian no. {snapshot})",
                          "en": "Checked {at} in {seconds} s (sweep no. {snapshot})"},
    "diagnosis.impact": {"id": "Siapa lagi yang terdampak", "en": "Who else is hit"},
    "diagnosis.cut_off": {"id": "PD terputus", "en": "PDs cut off"},
    "diagnosis.last_path": {"id": "PD kini hanya punya satu jalur", "en": "PDs now on their last path"},
    "diagnosis.vps": {"id": "VPS yang tak terjangkau PD-nya", "en": "VPS their PDs cannot reach"},
    "diagnosis.via": {"id": "Masih terhubung lewat", "en": "Still reachable via"},
    "diagnosis.none": {"id": "tidak ada", "en": "none"},
    "diagnosis.place": {"id": "Lokasi", "en": "Where"},
    "diagnosis.col.fibre": {"id": "Serat optik", "en": "Fibre"}, "diagnosis.col.length": {"id": "Panjang (m)", "en": "Length (m)"},
    "diagnosis.col.ducts": {"id": "Duct (rute)", "en": "Ducts (route)"}, "diagnosis.col.ends": {"id": "Ujung", "en": "Ends"},
    "diagnosis.action": {"id": "Tindakan lapangan", "en": "Field action"},
    "diagnosis.evidence": {"id": "Bukti (dapat diperiksa)", "en": "Evidence (each can be checked)"},
    "diagnosis.not_seen": {"id": "Tidak dapat dilihat", "en": "Could not be seen"},
    "diagnosis.candidates": {"id": "Kandidat lain", "en": "Other candidates"},
    "diagnosis.col.cause": {"id": "Penyebab", "en": "Cause"},
    "diagnosis.col.contradictions": {"id": "Bertentangan", "en": "Contradictions"},
    "diagnosis.col.explained": {"id": "Menjelaskan", "en": "Explains"},
    "diagnosis.tier1": {"id": "Pesan untuk Service Desk Tingkat 1", "en": "Message for the Tier-1 desk (Indonesian)"},
}
CATALOGUE.update(MESSAGES)


def render_diagnosis_html(result: Diagnosis, lang: str = DEFAULT_LANG) -> str:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: use one of {', '.join(LANGS)}")
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    return env.get_template("diagnosis.html.j2").render(
        d=result, lang=lang, t=lambda key, **v: t(key, lang, **v),
        at=result.at.strftime("%Y-%m-%d %H:%M:%S UTC"))

from django.test import RequestFactory

from luodi.lib.client_ip import client_ip


def _request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_it_is_the_peer_and_ignores_the_header(settings):
    settings.LUODI_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_behind_one_proxy_it_is_the_address_nginx_saw(settings):
    settings.LUODI_PROXY_COUNT = 1
    assert client_ip(_request(forwarded="198.51.100.7")) == "198.51.100.7"


def test_a_client_cannot_forge_its_address_through_the_header(settings):
    settings.LUODI_PROXY_COUNT = 1
    # the client sent "X-Forwarded-For: 10.9.9.9"; nginx appended the address it saw
    assert client_ip(_request(forwarded="10.9.9.9, 198.51.100.7")) == "198.51.100.7"


def test_two_proxies_count_two_from_the_right(settings):
    settings.LUODI_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="1.1.1.1, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


def test_a_missing_or_malformed_header_falls_back_to_the_peer(settings):
    settings.LUODI_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"

"""Plausible Chinese identities: names, national ID numbers, mobile numbers and work e-mails."""

from __future__ import annotations

from datetime import date

import numpy as np


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """'王:wang 李:li' -> (("王", "wang"), ("李", "li"))."""
    return tuple(tuple(pair.split(":")) for pair in text.split())


# Common surnames with their pinyin, most frequent first (weights fall off like the real ranking).
_SURNAMES = _pairs(
    "王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun 马:ma 朱:zhu 胡:hu "
    "郭:guo 何:he 林:lin 罗:luo 高:gao 郑:zheng 梁:liang 谢:xie 宋:song 唐:tang 许:xu 韩:han 冯:feng 邓:deng 曹:cao "
    "彭:peng 曾:zeng 肖:xiao 田:tian 董:dong 潘:pan 袁:yuan 蔡:cai 蒋:jiang 余:yu 杜:du 叶:ye 程:cheng 魏:wei 苏:su "
    "吕:lv 丁:ding 任:ren 卢:lu 姚:yao 沈:shen 钟:zhong 姜:jiang 崔:cui"
)
_FEMALE_GIVEN = _pairs(
    "芳:fang 娜:na 敏:min 静:jing 丽:li 艳:yan 娟:juan 霞:xia 燕:yan 玲:ling 婷:ting 雪:xue 慧:hui 颖:ying 琳:lin "
    "欣:xin 佳:jia 悦:yue 思:si 雨:yu 梦:meng 晓:xiao 倩:qian 洁:jie"
)
_MALE_GIVEN = _pairs(
    "伟:wei 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 杰:jie 涛:tao 明:ming 超:chao 斌:bin 鹏:peng 辉:hui 刚:gang "
    "健:jian 浩:hao 宇:yu 俊:jun 峰:feng 凯:kai 博:bo 文:wen 志:zhi 华:hua"
)
# Administrative division codes of city districts: the first six digits of an ID number.
_REGION_CODES = ("110101", "310104", "440106", "440304", "330102", "320102", "510104", "420102", "500103", "610102")
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
_ID_CHECK_CHARACTERS = "10X98765432"
# The mobile number space 1[3-9]xxxxxxxxx, walked by a multiplier coprime to its size so that
# customer numbers look scattered yet each customer keeps one number.
_MOBILE_BASE, _MOBILE_SPACE, _MOBILE_STRIDE = 13_000_000_000, 7_000_000_000, 2_654_435_761

MAIL_DOMAIN = "hotline.example.cn"


def id_card_check_character(first_17_digits: str) -> str:
    """The GB 11643 check character of a national ID number."""
    total = int(np.dot(_ID_WEIGHTS, [int(c) for c in first_17_digits]))
    return _ID_CHECK_CHARACTERS[total % 11]


def mobile_numbers(customer_ids: np.ndarray) -> np.ndarray:
    """11-digit mobile numbers (1[3-9] and nine digits), one per customer id, as int64."""
    ids = np.asarray(customer_ids, dtype=np.int64)
    return _MOBILE_BASE + (ids * _MOBILE_STRIDE) % _MOBILE_SPACE


def people(births: list[date], rng: np.random.Generator) -> list[dict[str, str]]:
    """One person per birth date: name, pinyin (for e-mail) and an 18-character national ID number."""
    count = len(births)
    surname_weights = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.8
    surnames = rng.choice(len(_SURNAMES), size=count, p=surname_weights / surname_weights.sum())
    female = rng.random(count) < 0.6
    two_character_given = rng.random(count) < 0.65
    result = []
    for i in range(count):
        given_pool = _FEMALE_GIVEN if female[i] else _MALE_GIVEN
        given = [
            given_pool[j] for j in rng.choice(len(given_pool), size=2 if two_character_given[i] else 1, replace=False)
        ]
        surname, surname_pinyin = _SURNAMES[surnames[i]]
        birth = births[i]
        sequence = int(rng.integers(0, 500)) * 2 + (0 if female[i] else 1)  # odd for men, even for women
        first_17 = f"{_REGION_CODES[rng.integers(len(_REGION_CODES))]}{birth:%Y%m%d}{sequence:03d}"
        result.append(
            {
                "name": surname + "".join(c for c, _ in given),
                "pinyin": "".join(p for _, p in given) + "." + surname_pinyin,
                "id_card_number": first_17 + id_card_check_character(first_17),
            }
        )
    return result


def work_email(pinyin: str, agent_id: str) -> str:
    return f"{pinyin}{agent_id}@{MAIL_DOMAIN}"

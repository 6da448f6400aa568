from django import template

from gorod.points.labels import translated

register = template.Library()
register.filter("label", translated)

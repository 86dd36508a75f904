using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace VirtLab.Grading.Inspection;

/// <summary>
/// Spells the types in a compiled assembly's signatures as text, the way reflection writes full
/// names (<c>VirtLab.Scheduling.CreditScheduler</c>, <c>Outer+Nested</c>), generic arguments in
/// angle brackets (<c>System.Lazy`1&lt;VirtLab.Memory.SharesReclamationPolicy&gt;</c>). Reading
/// names out of metadata runs none of the assembly's code.
/// </summary>
internal sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
{
    /// <summary>The full name of a type the assembly refers to (defined elsewhere).</summary>
    public string Of(TypeReferenceHandle handle)
    {
        var t = md.GetTypeReference(handle);
        string name = md.GetString(t.Name);
        if (t.ResolutionScope.Kind == HandleKind.TypeReference) return Of((TypeReferenceHandle)t.ResolutionScope) + "+" + name;
        string ns = md.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The full name of a type the assembly defines.</summary>
    public string Of(TypeDefinitionHandle handle)
    {
        var t = md.GetTypeDefinition(handle);
        string name = md.GetString(t.Name);
        var outer = t.GetDeclaringType();
        if (!outer.IsNil) return Of(outer) + "+" + name;
        string ns = md.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The name of a member's parent: a type reference, definition or (generic) specification.</summary>
    public string? Of(EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => Of((TypeReferenceHandle)parent),
        HandleKind.TypeDefinition => Of((TypeDefinitionHandle)parent),
        HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(this, null),
        _ => null,
    };

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;
    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);
    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);
    public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, context);
    public string GetSZArrayType(string elementType) => elementType + "[]";
    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
    public string GetByReferenceType(string elementType) => elementType + "&";
    public string GetPointerType(string elementType) => elementType + "*";
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";
    public string GetGenericTypeParameter(object? context, int index) => "!" + index;
    public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
    public string GetFunctionPointerType(MethodSignature<string> signature) =>
        $"method {signature.ReturnType}({string.Join(",", signature.ParameterTypes)})";
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    public string GetPinnedType(string elementType) => elementType;
}
